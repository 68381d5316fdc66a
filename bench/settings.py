"""Configuração do processo do bench (``make bench``): a de produção mais as rotas dos pisos.

Só o servidor que o bench sobe usa ``DJANGO_SETTINGS_MODULE=bench.settings``; nada disto entra em produção.
"""

from pathlib import Path

from sigcon.settings import *  # noqa: F401,F403
from sigcon.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
