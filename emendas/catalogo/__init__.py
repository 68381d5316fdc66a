"""Catálogos por grupo de despesa: tipo de atendimento (gênero → categoria → especificação) e tipo de aplicação."""
