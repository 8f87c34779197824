# Reads a .env file with python-dotenv as load_dotenv() would (interpolation on), and
# prints what it got.
import json
import sys

import dotenv

print(json.dumps(dotenv.dotenv_values(sys.argv[1])))
