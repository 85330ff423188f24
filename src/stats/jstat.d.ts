// jstat ships no type declarations; only the functions the stats engine uses are typed here.
declare module "jstat" {
  interface Continuous2 {
    cdf(x: number, a: number, b: number): number;
    pdf(x: number, a: number, b: number): number;
    inv(p: number, a: number, b: number): number;
  }
  interface Continuous1 {
    cdf(x: number, a: number): number;
    pdf(x: number, a: number): number;
    inv(p: number, a: number): number;
  }
  interface JStatStatic {
    normal: Continuous2;
    studentt: Continuous1;
    chisquare: Continuous1;
    beta: Continuous2;
    noncentralt: { cdf(x: number, dof: number, ncp: number): number; pdf(x: number, dof: number, ncp: number): number };
    gammaln(x: number): number;
  }
  const jStat: JStatStatic;
  export default { jStat };
  export { jStat };
}
