import { referenceSuite } from "../../analysis/reference-suite.js";

referenceSuite("postgres");
