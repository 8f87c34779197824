# Validates each line of stdin as pgAdmin >= 8.10's docker entrypoint does: pgAdmin's
# web/pgadmin/utils/validation_utils.py sets email_validator.GLOBALLY_DELIVERABLE (True
# by default in the image) and calls validate_email(email, check_deliverability=False),
# the image's default CHECK_EMAIL_DELIVERABILITY. Prints "ok" or "refused: reason".
import sys

import email_validator
from email_validator import EmailNotValidError, validate_email

email_validator.GLOBALLY_DELIVERABLE = True
for line in sys.stdin:
    email = line.rstrip("\n")
    try:
        validate_email(email, check_deliverability=False)
        print("ok")
    except EmailNotValidError as e:
        print("refused: " + str(e).replace("\n", " "))
