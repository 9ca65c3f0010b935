locals {
  instance_dir = "${trimsuffix(var.base_dir, "/")}/${var.name}"
}

# The "instance": a directory of its own on the worker host plus a loopback port. Ansible's nginx
# role later runs an unprivileged nginx from this directory. Changing name, base_dir or port
# replaces the instance (the old one is stopped and removed first).
resource "terraform_data" "this" {
  input = {
    name = var.name
    dir  = local.instance_dir
    port = var.port
  }
  triggers_replace = [var.name, local.instance_dir, var.port]

  # Values reach the scripts through the environment, never spliced into a command string.
  provisioner "local-exec" {
    command     = "${path.module}/scripts/create.sh"
    interpreter = ["/bin/sh"]
    environment = {
      INSTANCE_NAME = self.input.name
      INSTANCE_DIR  = self.input.dir
      INSTANCE_PORT = tostring(self.input.port)
      INSTANCE_ID   = self.id
    }
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "${path.module}/scripts/destroy.sh"
    interpreter = ["/bin/sh"]
    environment = {
      INSTANCE_NAME = self.input.name
      INSTANCE_DIR  = self.input.dir
    }
  }
}
