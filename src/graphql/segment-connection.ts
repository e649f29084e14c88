// SegmentConnection: the type of Query.segments and Contact.segments.
import type { Segment } from '../core/segments/segment.js';
import { connectionType } from './connection-type.js';
import { SegmentRef } from './segment-node.js';

export const SegmentConnection = connectionType<Segment>('Segment', SegmentRef, 'Every segment the list holds, not only this page.');
