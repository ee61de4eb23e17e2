// A module of its own so main.tsx can run it before React is evaluated.
import { startEarly } from './preload';

startEarly();
