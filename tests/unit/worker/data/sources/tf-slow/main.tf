# Fixture source: an apply that takes long enough to be interrupted.
resource "terraform_data" "slow" {
  input = "slow"

  provisioner "local-exec" {
    command = "echo starting; sleep 30; echo done"
  }
}
