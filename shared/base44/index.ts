// The Base44 call classifier: which page calls spend integration credits, and the reply fields that say how many.
export * from './classify';
export * from './reply-meta';
export * from './reply-meta-schema';
