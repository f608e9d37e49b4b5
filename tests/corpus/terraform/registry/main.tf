module "queue" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "4.2.0"
  name    = "jobs"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = "arn:aws:iam::123456789012:role/worker"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = module.queue.queue_arn
  function_name    = aws_lambda_function.worker.arn
}

module "cdn" {
  source = "terraform-aws-modules/cloudfront/aws"
}
