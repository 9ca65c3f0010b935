# The worker applies this directory as a root configuration (copied into the resource's working
# directory), so the provider is configured here. Credentials come from the environment
# (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN or AWS_PROFILE), never from variables.
provider "aws" {
  region = var.region

  # LocalStack: fixed test credentials, no account or metadata lookups, one edge endpoint.
  access_key                  = var.use_localstack ? "test" : null
  secret_key                  = var.use_localstack ? "test" : null
  skip_credentials_validation = var.use_localstack
  skip_metadata_api_check     = var.use_localstack
  skip_requesting_account_id  = var.use_localstack

  dynamic "endpoints" {
    for_each = var.use_localstack ? [var.localstack_endpoint] : []
    content {
      ec2 = endpoints.value
      iam = endpoints.value
      sts = endpoints.value
    }
  }

  default_tags {
    tags = merge(var.tags, {
      "managed-by"      = "nebulaops"
      "nebula-resource" = var.name
    })
  }
}

# Latest official Debian 12 image (Debian's AWS account), unless an AMI is given.
data "aws_ami" "debian" {
  count       = var.ami == "" ? 1 : 0
  most_recent = true
  owners      = ["136693071363"]

  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

data "aws_vpc" "default" {
  count   = var.subnet_id == null ? 1 : 0
  default = true
}

data "aws_subnet" "selected" {
  count = var.subnet_id == null ? 0 : 1
  id    = var.subnet_id
}

locals {
  ami_id = var.ami != "" ? var.ami : data.aws_ami.debian[0].id
  vpc_id = var.subnet_id == null ? data.aws_vpc.default[0].id : data.aws_subnet.selected[0].vpc_id
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-"
  description = "NebulaOps ${var.name}: SSH and HTTP"
  vpc_id      = local.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

# Separate rule resources (not inline ingress/egress blocks), as the provider recommends.
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.this.id
  description       = "SSH from the NebulaOps worker"
  cidr_ipv4         = var.allowed_ssh_cidr
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  security_group_id = aws_security_group.this.id
  description       = "HTTP"
  cidr_ipv4         = var.allowed_http_cidr
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.this.id
  description       = "Outbound, for package installation"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_instance" "this" {
  ami                         = local.ami_id
  instance_type               = var.instance_type
  key_name                    = var.key_name
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [aws_security_group.this.id]
  associate_public_ip_address = true

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }

  tags = {
    Name = var.name
  }
}
