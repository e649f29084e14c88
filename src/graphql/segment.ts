// Segments in the schema: the Segment type, its queries and mutations, and Contact.segments,
// a file each.
export { SegmentMatchEnum, SegmentRef, SegmentTypeEnum } from './segment-node.js';
export { SegmentConnection } from './segment-connection.js';
import './segment-queries.js';
import './segment-mutations.js';
import './segment-contact-segments.js';
