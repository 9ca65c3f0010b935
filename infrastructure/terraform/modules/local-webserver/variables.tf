variable "name" {
  description = "Resource name; becomes the instance directory name and appears on the served page."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name))
    error_message = "The name must start with a lowercase letter and contain only lowercase letters, digits and hyphens (at most 63 characters)."
  }
}

variable "base_dir" {
  description = "Absolute directory under which the instance directory <base_dir>/<name> is created."
  type        = string

  validation {
    condition     = startswith(var.base_dir, "/") && !strcontains(var.base_dir, "..") && !strcontains(var.base_dir, "\n")
    error_message = "The base_dir must be an absolute path without \"..\" components."
  }
}

variable "port" {
  description = "TCP port on 127.0.0.1 the instance serves on. Chosen by the worker (a free port) and kept for the life of the instance."
  type        = number

  validation {
    condition     = var.port == floor(var.port) && var.port >= 1024 && var.port <= 65535
    error_message = "The port must be a whole number between 1024 and 65535 (unprivileged)."
  }
}
