// The baseline of `make bench`'s CPU figures: a worker that does nothing, served by wrangler dev
// and measured the same way as ours, so that what workerd itself spends on a request (HTTP,
// routing, the isolate's entry) can be told apart from what our code costs.
export default {
  fetch() {
    return new Response("ok");
  },
};
