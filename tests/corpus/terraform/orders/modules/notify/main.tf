variable "prefix" {
  type = string
}

resource "aws_sns_topic" "events" {
  name = "${var.prefix}-events"
}

resource "aws_sqs_queue" "inbox" {
  name = "${var.prefix}-inbox"
}

resource "aws_sns_topic_subscription" "inbox" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.inbox.arn
}

output "topic_arn" {
  value = aws_sns_topic.events.arn
}
