// Validates an OpenAPI document (file given as the argument) against the OpenAPI
// specification's JSON schema and resolves every $ref: exit 0 if valid, 1 with the
// validator's message if not.
const SwaggerParser = require("@apidevtools/swagger-parser");

SwaggerParser.validate(process.argv[2])
  .then((api) => {
    console.log(`valid OpenAPI ${api.openapi}: ${api.info.title}`);
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
