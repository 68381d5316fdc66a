"""Controle de execução das indicações aprovadas (DOMAIN.md §7.15) e o impedimento de ordem técnica parcial."""
