"""The authentication backend: Django's, with the user read of every logged-in request compiled
once (lms.compiled) instead of built per request."""

from django.contrib.auth import backends, get_user_model

from .compiled import CompiledQuery


class ModelBackend(backends.ModelBackend):
    _user_by_id = CompiledQuery(lambda pk: get_user_model()._default_manager.filter(pk=pk))

    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = self._user_by_id.first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
