output "ip" {
  description = "Address the instance listens on (always loopback)."
  value       = "127.0.0.1"
}

output "port" {
  description = "TCP port of the instance on 127.0.0.1."
  value       = terraform_data.this.output.port
}

output "url" {
  description = "URL of the page served by the instance once Ansible has configured it."
  value       = "http://127.0.0.1:${terraform_data.this.output.port}/"
}

output "instance_id" {
  description = "Unique id of this instance (changes when the instance is replaced)."
  value       = terraform_data.this.id
}

output "instance_dir" {
  description = "Directory of the instance on the worker host (nginx prefix for the Ansible role)."
  value       = terraform_data.this.output.dir
}
