variable "env" {
  type    = string
  default = "dev"
}

variable "workers" {
  type    = number
  default = 2
}

locals {
  prefix = "orders-${var.env}"
  tags = {
    classification = "confidential"
  }
}
