"""Ponto de entrada: configura o Django do driver (banco do bench, ``bench.settings``) e roda o bench."""

import os
import secrets
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench import dados  # noqa: E402  (antes do django.setup: diz qual é o banco)

os.environ["DATABASE_URL"] = dados.url_do_banco()
# O driver lê o banco pelo ORM e, no --explain, chama as views com o cliente de teste do Django.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ.setdefault("SIGCON_PROCESSO", "comando")
# Os estáticos coletados (o manifesto com hash que o base.html usa sem DEBUG), os mesmos do servidor do bench.
os.environ.setdefault("DJANGO_STATIC_ROOT", str(RAIZ / "bench" / "resultados" / "estaticos"))

import django  # noqa: E402

django.setup()

from bench.http import principal  # noqa: E402

sys.exit(principal.explicar() if "--explain" in sys.argv else principal.main())
