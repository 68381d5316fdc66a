from django.urls import path

from . import views

urlpatterns = [
    path("assessores/", views.meus_assessores, name="assessores"),
    path("assessores/<int:pk>/desassociar/", views.desassociar, name="desassociar_assessor"),
    path("assessores/parlamentares/", views.parlamentares_atendidos, name="parlamentares_atendidos"),
]
