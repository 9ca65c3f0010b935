# Fixture source: a syntax error.
resource "terraform_data" "broken" {
  input = "unterminated
}
