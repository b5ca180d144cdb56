// chatdojo's chat page: the customer's messages arrive over server-sent events. The
// server sends each message as a rendered <li>, "typing" while the customer writes, and
// "outcome" when the session ends. Message indexes keep a reconnect from repeating one.
(function () {
  const chat = document.querySelector('[data-testid="chat"]');
  if (!chat) return;
  const id = chat.dataset.session;
  const list = document.getElementById('messages');
  const typing = document.getElementById('typing');
  const outcome = document.getElementById('outcome');
  const reply = document.getElementById('reply');
  const replyError = document.getElementById('reply-error');
  let last = parseInt(chat.dataset.last, 10);

  function scroll() { list.scrollTop = list.scrollHeight; window.scrollTo(0, document.body.scrollHeight); }
  scroll();

  const es = new EventSource('/sessions/' + encodeURIComponent(id) + '/stream?after=' + last);
  es.addEventListener('message', function (e) {
    const tmp = document.createElement('template');
    tmp.innerHTML = e.data.trim();
    const li = tmp.content.firstElementChild;
    if (!li) return;
    const idx = parseInt(li.dataset.index, 10);
    if (idx <= last) return;
    last = idx;
    list.appendChild(li);
    scroll();
  });
  es.addEventListener('typing', function (e) {
    typing.hidden = e.data !== 'on';
    if (!typing.hidden) scroll();
  });
  es.addEventListener('outcome', function (e) {
    outcome.innerHTML = e.data;
    typing.hidden = true;
    if (reply) reply.remove();
    const end = document.querySelector('[data-testid="end-form"]');
    if (end) end.remove();
    es.close();
  });
  if (reply) {
    reply.addEventListener('htmx:responseError', function (e) {
      let msg = 'Your message could not be sent.';
      try { msg = JSON.parse(e.detail.xhr.responseText).error.message; } catch (_) {}
      replyError.textContent = msg;
      replyError.hidden = false;
    });
    reply.addEventListener('htmx:afterRequest', function (e) {
      if (e.detail.successful) replyError.hidden = true;
    });
    const ta = reply.querySelector('textarea');
    ta.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); reply.requestSubmit(); }
    });
  }
})();
