variable "name" {
  description = "Resource name; used for the Name tag and the security group name prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name))
    error_message = "The name must start with a lowercase letter and contain only lowercase letters, digits and hyphens (at most 63 characters)."
  }
}

variable "region" {
  description = "AWS region to create the instance in, e.g. eu-central-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "The region must look like an AWS region name, e.g. eu-central-1."
  }
}

variable "instance_type" {
  description = "EC2 instance type."
  type        = string
  default     = "t3.micro"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "The instance_type must be an EC2 instance type such as t3.micro."
  }
}

variable "ami" {
  description = "AMI id to use instead of the latest official Debian 12 (bookworm) amd64 image. Required with LocalStack."
  type        = string
  default     = ""

  validation {
    condition     = var.ami == "" || can(regex("^ami-[0-9a-f]{8,17}$", var.ami))
    error_message = "The ami must be empty (use Debian 12) or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "ssh_user" {
  description = "Login user of the image (\"admin\" for the official Debian images, \"ubuntu\" for Ubuntu)."
  type        = string
  default     = "admin"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.ssh_user))
    error_message = "The ssh_user must be a valid Unix user name."
  }
}

variable "key_name" {
  description = "Name of an existing EC2 key pair in the region; the worker connects with its private key."
  type        = string

  validation {
    condition     = length(var.key_name) > 0 && length(var.key_name) <= 255
    error_message = "The key_name must be the name of an EC2 key pair (1 to 255 characters)."
  }
}

variable "allowed_ssh_cidr" {
  description = "IPv4 CIDR allowed to reach port 22, normally the worker's public address as a /32."
  type        = string

  validation {
    condition     = can(cidrhost(var.allowed_ssh_cidr, 0)) && !strcontains(var.allowed_ssh_cidr, ":")
    error_message = "The allowed_ssh_cidr must be an IPv4 CIDR block such as 198.51.100.7/32."
  }
}

variable "allowed_http_cidr" {
  description = "IPv4 CIDR allowed to reach port 80."
  type        = string
  default     = "0.0.0.0/0"

  validation {
    condition     = can(cidrhost(var.allowed_http_cidr, 0)) && !strcontains(var.allowed_http_cidr, ":")
    error_message = "The allowed_http_cidr must be an IPv4 CIDR block such as 0.0.0.0/0."
  }
}

variable "subnet_id" {
  description = "Subnet to launch in; null uses the region's default VPC and its default subnet for the zone AWS picks."
  type        = string
  default     = null

  validation {
    condition     = var.subnet_id == null || can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))
    error_message = "The subnet_id must be null or a subnet id such as subnet-0123456789abcdef0."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "use_localstack" {
  description = "Send every AWS call to LocalStack (localstack_endpoint) with test credentials instead of AWS."
  type        = bool
  default     = false
}

variable "localstack_endpoint" {
  description = "LocalStack edge endpoint used when use_localstack is true."
  type        = string
  default     = "http://localhost:4566"

  validation {
    condition     = can(regex("^https?://[^/\\s]+/?$", var.localstack_endpoint))
    error_message = "The localstack_endpoint must be an http(s) URL such as http://localhost:4566."
  }
}
