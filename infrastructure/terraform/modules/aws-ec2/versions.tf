terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The worker applies this directory as a root configuration: stay on the 5.x line, which
      # has the aws_vpc_security_group_*_rule resources used here.
      version = "~> 5.40"
    }
  }
}
