import { writeFile } from 'node:fs/promises';
import { API_TYPES_FILE, apiTypesSource } from './api-types.ts';

// `npm run web:api-types`: writes the web client's API types from the OpenAPI document.
await writeFile(API_TYPES_FILE, await apiTypesSource());
console.log(`wrote ${API_TYPES_FILE}`);
