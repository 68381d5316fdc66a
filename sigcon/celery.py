import os
import sys

from celery import Celery

from sigcon.banco import e_o_celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigcon.settings")
# O worker (e o beat) usa os tempos de banco do worker (sigcon/banco.py). Só quando o programa é o próprio
# celery: este módulo é importado por todo processo (sigcon/__init__.py), também pelo web e pelos comandos,
# e um setdefault incondicional daria a todos eles os tempos do worker. Antes do settings, que lê a variável.
if e_o_celery(sys.argv):
    os.environ.setdefault("SIGCON_PROCESSO", "worker")

app = Celery("sigcon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
