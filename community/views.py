"""Discussion views: spaces, threads, posting, editing, reporting. Every read goes through
`selectors` (who may see what); every write through `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from . import selectors, services
from .exceptions import CodeNotAccepted, CommunityError
from .forms import EditForm, PostForm, ReasonForm, ThreadForm
from .library import library_pages_for_linking
from .text import mention_handle


def _or_404(found):
    """What a selector found for this person, or 404: another space's object looks like none."""
    if found is None:
        raise Http404
    return found


def _space(request, space_id: int):
    return _or_404(selectors.space_for(request.user, space_id))


def _thread(request, thread_id: int):
    return _or_404(selectors.thread_for(request.user, thread_id))


def _post(request, post_id: int):
    return _or_404(selectors.post_for(request.user, post_id))


def _refused(request, error: CommunityError, back: str):
    if isinstance(error, CodeNotAccepted):
        messages.info(request, error.message)
        return redirect(f"{reverse('community:code')}?next={back}")
    messages.error(request, error.message)
    return None


@login_required
def index(request):
    scope = selectors.viewer_scope(request.user)
    spaces = selectors.spaces_visible_to(request.user, scope)
    return render(
        request,
        "community/index.html",
        {
            "spaces": spaces,
            "moderates": any(a.can_moderate for _s, a in spaces)
            or bool(selectors.moderated_spaces(request.user)),
            "handle": mention_handle(request.user.full_name),
        },
    )


@login_required
def space(request, space_id: int):
    space, access = _space(request, space_id)
    threads = Paginator(
        selectors.threads_of(space, access, request.user), selectors.THREADS_PER_PAGE
    )
    return render(
        request,
        "community/space.html",
        {
            "space": space,
            "access": access,
            "threads": threads.get_page(request.GET.get("pagina")),
            "accepted": selectors.has_accepted_code(request.user),
        },
    )


@login_required
def thread_new(request, space_id: int):
    space, access = _space(request, space_id)
    allow_anonymous = services.allows_anonymous(space)
    if not selectors.has_accepted_code(request.user):
        return redirect(f"{reverse('community:code')}?next={request.path}")
    library_pages = library_pages_for_linking()
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        allow_anonymous=allow_anonymous,
        library_pages=library_pages,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        linked = (
            Page.objects.filter(pk=data["library_page"]).first()
            if data.get("library_page")
            else None
        )
        try:
            thread = services.thread_create(
                user=request.user,
                space=space,
                title=data["title"],
                body=data["body"],
                anonymous=data.get("anonymous", False),
                attachment=data.get("attachment"),
                library_page=linked,
            )
        except CommunityError as error:
            response = _refused(request, error, request.path)
            if response:
                return response
        else:
            messages.success(request, _("Your thread was published."))
            return redirect(thread.get_absolute_url())
    return render(
        request, "community/thread_new.html", {"space": space, "access": access, "form": form}
    )


def _post_rows(posts, thread, access, user):
    rows = []
    for post in posts:
        hidden_to_me = post.is_hidden and not access.can_moderate and post.author_id != user.pk
        named = not post.is_anonymous or access.can_moderate or post.author_id == user.pk
        rows.append(
            {
                "post": post,
                "hidden_to_me": hidden_to_me,
                "author": post.author.full_name if named else "",
                "handle": mention_handle(post.author.full_name) if not post.is_anonymous else "",
                "can_edit": services.can_edit(post, user),
                "mine": post.author_id == user.pk,
            }
        )
    return rows


@login_required
def thread(request, thread_id: int):
    thread, access = _thread(request, thread_id)
    paginator = Paginator(selectors.posts_of(thread), selectors.POSTS_PER_PAGE)
    number = paginator.num_pages if request.GET.get("ultima") else request.GET.get("pagina")
    page = paginator.get_page(number)
    allow_anonymous = services.allows_anonymous(thread.space)
    return render(
        request,
        "community/thread.html",
        {
            "thread": thread,
            "space": thread.space,
            "access": access,
            "posts": page,
            "rows": _post_rows(page.object_list, thread, access, request.user),
            "form": PostForm(allow_anonymous=allow_anonymous),
            "accepted": selectors.has_accepted_code(request.user),
            "can_reply": access.can_post
            and (not thread.locked or access.can_moderate)
            and not thread.hidden_at,
            "thread_author": (
                thread.author.full_name
                if (
                    not thread.is_anonymous
                    or access.can_moderate
                    or thread.author_id == request.user.pk
                )
                else ""
            ),
        },
    )


@require_POST
@login_required
def reply(request, thread_id: int):
    thread, _access = _thread(request, thread_id)
    form = PostForm(
        request.POST, request.FILES, allow_anonymous=services.allows_anonymous(thread.space)
    )
    back = thread.get_absolute_url()
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back + "?ultima=1#responder")
    data = form.cleaned_data
    try:
        post = services.post_create(
            user=request.user,
            thread=thread,
            body=data["body"],
            anonymous=data.get("anonymous", False),
            attachment=data.get("attachment"),
        )
    except CommunityError as error:
        return _refused(request, error, back) or redirect(back + "?ultima=1#responder")
    messages.success(request, _("Your reply was published."))
    return redirect(f"{back}?ultima=1#mensaje-{post.pk}")


@login_required
def edit(request, post_id: int):
    post, access = _post(request, post_id)
    if not services.can_edit(post, request.user):
        messages.error(request, _("This message can no longer be edited."))
        return redirect(post.thread.get_absolute_url())
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(user=request.user, post=post, body=form.cleaned_data["body"])
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your message was changed."))
            return redirect(f"{post.thread.get_absolute_url()}?ultima=1#mensaje-{post.pk}")
    return render(
        request,
        "community/post_form.html",
        {
            "post": post,
            "form": form,
            "title": _("Edit your message"),
            "button": _("Save"),
        },
    )


@login_required
def report(request, post_id: int):
    post, access = _post(request, post_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(user=request.user, post=post, reason=form.cleaned_data["reason"])
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you. The moderators will review this message."))
        return redirect(post.thread.get_absolute_url())
    return render(
        request,
        "community/post_form.html",
        {
            "post": post,
            "form": form,
            "title": _("Report this message to the moderators"),
            "button": _("Report"),
            "explain": _(
                "Say briefly what is wrong: the moderators read every report. The author is not "
                "told who reported."
            ),
        },
    )


@login_required
def hide(request, post_id: int):
    post, access = _post(request, post_id)
    if not access.can_moderate:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_hide(
                moderator=request.user, post=post, reason=form.cleaned_data["reason"]
            )
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The message is hidden; its author was told why."))
        return redirect(_next(request, post.thread.get_absolute_url()))
    return render(
        request,
        "community/post_form.html",
        {
            "post": post,
            "form": form,
            "title": _("Hide this message"),
            "button": _("Hide"),
            "explain": _(
                "The author will read this reason. Other members see that a message was hidden."
            ),
            "next": request.GET.get("next", ""),
        },
    )


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_POST
@login_required
def restore(request, post_id: int):
    post, access = _post(request, post_id)
    if not access.can_moderate:
        raise Http404
    services.post_restore(moderator=request.user, post=post)
    messages.success(request, _("The message is visible again."))
    return redirect(_next(request, post.thread.get_absolute_url()))


@require_POST
@login_required
def dismiss(request, post_id: int):
    post, access = _post(request, post_id)
    if not access.can_moderate:
        raise Http404
    services.reports_dismiss(moderator=request.user, post=post)
    messages.success(request, _("The reports were closed; the message stays visible."))
    return redirect(_next(request, reverse("community:queue")))


@require_POST
@login_required
def thread_flags(request, thread_id: int):
    thread, access = _thread(request, thread_id)
    if not access.can_moderate:
        raise Http404
    action = request.POST.get("action", "")
    flags = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "lock": {"locked": True},
        "unlock": {"locked": False},
    }
    if action in flags:
        services.thread_set_flags(moderator=request.user, thread=thread, **flags[action])
        messages.success(request, _("The thread was updated."))
    return redirect(thread.get_absolute_url())


@login_required
def attachment(request, post_id: int):
    post, access = _post(request, post_id)
    if not post.attachment or (
        post.is_hidden and not access.can_moderate and post.author_id != request.user.pk
    ):
        raise Http404
    try:
        handle = post.attachment.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=not post.is_image,
        filename=f"adjunto-{post.pk}.{post.attachment_type}",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def queue(request):
    posts = Paginator(selectors.moderation_queue(request.user), 20).get_page(
        request.GET.get("pagina")
    )
    rows = [{"post": p, "reports": list(selectors.open_reports_of(p))} for p in posts]
    return render(request, "community/queue.html", {"posts": posts, "rows": rows})


@login_required
def code(request):
    back = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST":
        if request.POST.get("accept") == "yes":
            services.code_accept(user=request.user)
            messages.success(request, _("Thank you for accepting the code of participation."))
            return redirect(back or reverse("community:index"))
        messages.error(request, _("Tick the box to accept the code of participation."))
    return render(
        request,
        "community/code.html",
        {"next": back, "accepted": selectors.has_accepted_code(request.user)},
    )
