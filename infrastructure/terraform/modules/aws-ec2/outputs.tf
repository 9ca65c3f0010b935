output "public_ip" {
  description = "Public IPv4 address of the instance (SSH and HTTP)."
  value       = aws_instance.this.public_ip
}

output "instance_id" {
  description = "EC2 instance id."
  value       = aws_instance.this.id
}

output "ssh_user" {
  description = "User to log in as over SSH (the image's default user)."
  value       = var.ssh_user
}

output "url" {
  description = "URL of the page nginx serves once Ansible has configured the instance."
  value       = "http://${aws_instance.this.public_ip}/"
}

output "security_group_id" {
  description = "Id of the security group allowing SSH and HTTP."
  value       = aws_security_group.this.id
}
