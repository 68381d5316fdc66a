"""As tarefas periódicas do Celery beat (``CELERY_BEAT_SCHEDULE`` em sigcon/settings.py): o que roda, e quando."""

from datetime import timedelta

from celery.schedules import crontab

TAREFAS_PERIODICAS = {
    "reenviar-emails-pendentes": {"task": "notificacoes.tasks.reenviar_pendentes", "schedule": timedelta(minutes=2)},
    "apagar-relatorios-antigos": {"task": "relatorios.tasks.apagar_antigos", "schedule": crontab(hour=3, minute=30)},
    "selar-auditoria": {"task": "auditoria.tasks.selar", "schedule": timedelta(minutes=1)},
    "resumo-diario-segov": {"task": "emendas.tasks.resumo_diario_segov", "schedule": crontab(hour=8, minute=0)},
    "apagar-importacoes-expiradas": {"task": "emendas.tasks.apagar_importacoes_expiradas", "schedule": timedelta(hours=1)},
    "batimento-disponibilidade": {"task": "disponibilidade.tasks.bater", "schedule": timedelta(minutes=1)},
    "lembretes-de-prazo": {"task": "emendas.tasks.lembretes_de_prazo", "schedule": crontab(hour=7, minute=0)},
    "apagar-envios-expirados": {"task": "envios.tasks.apagar_envios_expirados", "schedule": crontab(hour=3, minute=45)},
    "instantaneo-dados-abertos": {"task": "transparencia.tasks.gerar_instantaneos", "schedule": crontab(hour=2, minute=15)},
}
