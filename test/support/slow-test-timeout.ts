// Jest takes `testTimeout` only from the top-level configuration; projects whose tests start
// processes, boot services or stop the broker set a longer one here (hooks included).
jest.setTimeout(120_000);
