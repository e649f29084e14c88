// The contact surface: the Contact type, its queries and its mutations, a file each.
export { ContactRef } from './contact-node.js';
export { ContactConnection, resolveContactConnection } from './contact-connection.js';
import './contact-queries.js';
import './contact-mutations.js';
import './contact-bulk-mutations.js';
