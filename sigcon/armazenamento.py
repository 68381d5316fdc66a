"""O armazenamento padrão dos arquivos, pelo ambiente (lido por ``sigcon.settings``)."""

import json

from django.core.exceptions import ImproperlyConfigured


def armazenamento_padrao(ambiente) -> dict:
    """Onde ficam os arquivos enviados (prévias de importação) e gerados (PDF/CSV grandes).

    Disco local (``MEDIA_ROOT``) por padrão. Com mais de uma réplica, todas têm de ver os mesmos arquivos:
    ``DJANGO_STORAGE_BACKEND`` escolhe outra classe de armazenamento do Django (por exemplo a S3 do
    django-storages, instalada na imagem de quem a usa) e ``DJANGO_STORAGE_OPTIONS`` (um objeto JSON) leva as
    opções dela. O código só fala com ``default_storage``/``FileField``, nunca com caminhos do disco.
    """
    backend = ambiente.get("DJANGO_STORAGE_BACKEND", "").strip() or "django.core.files.storage.FileSystemStorage"
    bruto = ambiente.get("DJANGO_STORAGE_OPTIONS", "").strip()
    try:
        opcoes = json.loads(bruto) if bruto else {}
    except ValueError as erro:
        raise ImproperlyConfigured(f"DJANGO_STORAGE_OPTIONS não é JSON válido: {erro}") from erro
    if not isinstance(opcoes, dict):
        raise ImproperlyConfigured("DJANGO_STORAGE_OPTIONS deve ser um objeto JSON ({...}).")
    return {"BACKEND": backend, "OPTIONS": opcoes} if opcoes else {"BACKEND": backend}
