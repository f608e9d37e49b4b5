# An order intake: an HTTP API with a JWT authorizer in front of a function that writes
# a DynamoDB table, whose stream feeds workers; uploads land in an S3 bucket.

resource "aws_apigatewayv2_api" "http" {
  name          = "${local.prefix}-api"
  protocol_type = "HTTP"
  cors_configuration {
    allow_origins = ["*"]
  }
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.http.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "jwt"
  jwt_configuration {
    audience = ["orders"]
    issuer   = "https://cognito-idp.eu-west-1.amazonaws.com/pool"
  }
}

resource "aws_apigatewayv2_integration" "create" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.create_order.invoke_arn
}

resource "aws_apigatewayv2_route" "post_orders" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /orders"
  target             = "integrations/${aws_apigatewayv2_integration.create.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

resource "aws_apigatewayv2_route" "get_health" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "GET /health"
  target    = "integrations/${aws_apigatewayv2_integration.create.id}"
}

resource "aws_lambda_function" "create_order" {
  function_name = "${local.prefix}-create"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = aws_iam_role.create_order.arn
  filename      = "build/create.zip"
  environment {
    variables = {
      TABLE  = aws_dynamodb_table.orders.name
      BUCKET = aws_s3_bucket.uploads.bucket
    }
  }
  tags = local.tags
}

resource "aws_iam_role" "create_order" {
  name               = "${local.prefix}-create"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "create_order" {
  statement {
    actions   = ["dynamodb:PutItem"]
    resources = [aws_dynamodb_table.orders.arn]
  }
  statement {
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.uploads.arn}/*"]
  }
}

resource "aws_iam_role_policy" "create_order" {
  role   = aws_iam_role.create_order.id
  policy = data.aws_iam_policy_document.create_order.json
}

resource "aws_lambda_permission" "api" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.create_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}

resource "aws_dynamodb_table" "orders" {
  name             = "${local.prefix}-table"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "id"
    type = "S"
  }
  tags = local.tags
}

resource "aws_lambda_function" "worker" {
  count         = var.workers
  function_name = "${local.prefix}-worker-${count.index}"
  runtime       = "nodejs16.x"
  handler       = "index.handler"
  role          = aws_iam_role.worker.arn
  filename      = "build/worker.zip"
}

resource "aws_iam_role" "worker" {
  name               = "${local.prefix}-worker"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy_attachment" "worker_admin" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_event_source_mapping" "stream" {
  count             = var.workers
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.worker[count.index].arn
  starting_position = "LATEST"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "${local.prefix}-uploads"
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.worker[0].arn
    events              = ["s3:ObjectCreated:*"]
  }
}

resource "aws_glue_job" "report" {
  name     = "${local.prefix}-report"
  role_arn = aws_iam_role.worker.arn
  command {
    script_location = "s3://${aws_s3_bucket.uploads.bucket}/report.py"
  }
}

module "notify" {
  source = "./modules/notify"
  prefix = local.prefix
}

resource "random_id" "suffix" {
  byte_length = 4
}
