# A stand-in for the registry module as `terraform init` unpacks it.
variable "name" {
  type = string
}

resource "aws_sqs_queue" "this" {
  name = var.name
}

output "queue_arn" {
  value = aws_sqs_queue.this.arn
}
