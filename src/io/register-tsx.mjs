// Worker-thread preload that lets a worker load .ts modules. `--import tsx` is not enough on Node
// releases before 22.22 (this machine runs 20): tsx registers its loader hooks only on the main
// thread there, so a worker started with it fails on the first .ts import. tsx's API registers the
// hooks in whichever thread runs it.
import { register } from 'tsx/esm/api';

register();
