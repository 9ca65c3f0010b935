terraform {
  # terraform_data needs 1.4, check blocks 1.5. Only built-in constructs: no provider downloads.
  required_version = ">= 1.5"
}
