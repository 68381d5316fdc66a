"""Envio único: todo formulário que cria ou decide algo leva um token de uso único, e a revisão antes do dinheiro
mexer. Reenviar o mesmo formulário (Voltar + Confirmar, duplo clique, nova tentativa da rede) mostra o resultado do
primeiro envio em vez de agir de novo."""
