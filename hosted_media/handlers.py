from django.db import transaction


def delete_version_files(sender, instance, raw=False, **kwargs):
    """After a hosted item is deleted, remove its light, audio and caption files too
    (wagtailmedia's own handler removes the main file and the poster)."""
    names = [
        getattr(instance, field)
        for field in ("light_file", "audio_file", "captions_es", "captions_en")
        if getattr(instance, field)
    ]

    def delete():
        for field_file in names:
            field_file.delete(save=False)

    transaction.on_commit(delete)
