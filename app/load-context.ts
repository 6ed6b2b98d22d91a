declare module "@remix-run/node" {
  interface AppLoadContext {
    clientIp: string;
  }
}
export {};
