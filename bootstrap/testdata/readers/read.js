// Reads a .env file with node's dotenv, as an application would, and prints what it got.
const fs = require('fs');
const dotenv = require('dotenv');
process.stdout.write(JSON.stringify(dotenv.parse(fs.readFileSync(process.argv[2]))));
