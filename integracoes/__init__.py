"""Adaptadores dos sistemas externos (CAGEC, SIAFI-MG): cada um com implementação simulada e HTTP."""
