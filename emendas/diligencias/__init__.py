"""Diligência: o órgão pergunta (ou pede documentos) sobre uma indicação, o titular responde, o órgão fecha."""
