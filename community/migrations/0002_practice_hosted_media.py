"""A practice's video becomes a hosted media item (hosted_media), keeping its files.

Before, a practice pointed at two Wagtail documents: the video and its WebVTT captions. Each
distinct video document becomes one HostedMedia item that uses the same stored files (nothing
is copied), with the captions as Spanish captions when they are a .vtt file and the page's
interview transcripts as plain text; then the two document fields are removed.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.html import strip_tags


def documents_to_hosted_media(apps, schema_editor):
    PracticePage = apps.get_model("community", "PracticePage")
    HostedMedia = apps.get_model("hosted_media", "HostedMedia")
    made = {}
    for page in PracticePage.objects.exclude(video=None).select_related("video", "captions"):
        document = page.video
        if document.pk not in made:
            captions = page.captions
            made[document.pk] = HostedMedia.objects.create(
                title=document.title[:255],
                file=document.file.name,
                type="audio" if document.file.name.lower().endswith((".mp3", ".ogg", ".m4a")) else "video",
                collection_id=document.collection_id,
                captions_es=captions.file.name if captions and captions.file.name.lower().endswith(".vtt") else "",
                transcript=strip_tags(page.transcript or "").strip(),
                file_size=document.file_size,
                uploaded_by_user_id=document.uploaded_by_user_id,
            )
        page.media = made[document.pk]
        page.save(update_fields=["media"])


def hosted_media_to_documents(apps, schema_editor):
    """Going back keeps the pages; their hosted media stay in the media library."""


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0001_community_spaces_library_directory"),
        ("hosted_media", "0001_hosted_video_and_audio"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="practicepage",
            name="media",
            field=models.ForeignKey(blank=True, help_text="Hosted on the platform, with captions, a light version and its sizes.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="hosted_media.hostedmedia", verbose_name="video or audio"),
        ),
        migrations.RunPython(documents_to_hosted_media, hosted_media_to_documents),
        migrations.RemoveField(
            model_name="practicepage",
            name="captions",
        ),
        migrations.RemoveField(
            model_name="practicepage",
            name="video",
        ),
    ]
