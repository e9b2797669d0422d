// Crucible shop: the reference platform's web UI. Plain ES module, no framework, no build step.
// Served with CSP `default-src 'self'`: no inline scripts or styles, no external URLs.
// Talks to the public API on the same origin (through the edge); see docs/platform.md.

const PAGE_SIZE = 20;
const REQUEST_TIMEOUT_MS = 15_000;
const ORDER_TIMEOUT_MS = 30_000;
const SESSION_KEY = 'crucible.session';
const PENDING_ORDER_KEY = 'crucible.pendingOrder';

// ---------------------------------------------------------------------------------------------
// State

const state = {
  accessToken: null,
  refreshToken: null,
  username: null,
  view: null,
  // catalog
  query: { q: '', category: '' },
  pageCursors: [null], // cursor used to fetch each visited page (index = page number - 1)
  pageIndex: 0,
  nextCursor: null,
  listSeq: 0,
  categories: new Set(),
  // product detail
  product: null,
  detailSeq: 0,
  // ordering: the submission being attempted; its Idempotency-Key is reused on a retry
  pendingOrder: null,
  ordering: false,
  ordersSeq: 0,
};

// ---------------------------------------------------------------------------------------------
// DOM helpers

const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el;
};

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function showMessage(node, message) {
  node.textContent = message || '';
  node.hidden = !message;
}

function formatMoney(value) {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(2) : String(value ?? '');
}

function formatDate(value) {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value ?? '') : d.toLocaleString();
}

function formatRetryAfter(header) {
  if (!header) return 'a few minutes';
  let seconds = Number(header);
  if (!Number.isFinite(seconds)) {
    const at = Date.parse(header);
    if (Number.isNaN(at)) return 'a few minutes';
    seconds = (at - Date.now()) / 1000;
  }
  seconds = Math.max(1, Math.ceil(seconds));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

// ---------------------------------------------------------------------------------------------
// Storage (sessionStorage may be unavailable: the in-memory state still works)

function storageGet(key) {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function storageSet(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // private mode or quota: keep going with memory only
  }
}

function saveSession() {
  storageSet(SESSION_KEY, state.accessToken ? { accessToken: state.accessToken, refreshToken: state.refreshToken, username: state.username } : null);
}

function setPendingOrder(pending) {
  state.pendingOrder = pending;
  storageSet(PENDING_ORDER_KEY, pending);
}

function newIdempotencyKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Fallback for non-secure contexts: an RFC 4122 version 4 UUID from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// API client

class NetworkError extends Error {
  constructor(cause) {
    super('Could not reach the server.');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super((body && typeof body.message === 'string' && body.message) || `Request failed (HTTP ${status}).`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body && typeof body.error === 'string' ? body.error : null;
    this.retryAfter = retryAfter;
  }
}

/**
 * Calls the API. Throws NetworkError when no complete response arrived (connection failure,
 * timeout, body cut short) and ApiError for a non-2xx status. A 401 on a request that carried the
 * access token ends the session and shows the login view.
 */
async function api(path, { method = 'GET', body, headers = {}, auth = true, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const sentToken = auth && state.accessToken ? state.accessToken : null;
  if (sentToken) h.Authorization = `Bearer ${sentToken}`;

  let res;
  let text;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    throw new NetworkError(err);
  }

  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data, res.headers.get('Retry-After'));
    // Only end the session if the rejected token is still the current one (no race with a new login).
    if (res.status === 401 && sentToken && sentToken === state.accessToken) sessionExpired();
    throw err;
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Views

const VIEWS = {
  login: { section: 'view-login', focus: 'login-title', title: 'Sign in' },
  catalog: { section: 'view-catalog', focus: 'catalog-title', title: 'Catalog' },
  orders: { section: 'view-orders', focus: 'orders-title', title: 'My orders' },
};

function showView(name, { focus = true, focusId } = {}) {
  state.view = name;
  $('boot-status').hidden = true;
  for (const [key, view] of Object.entries(VIEWS)) $(view.section).hidden = key !== name;
  const loggedIn = name !== 'login';
  $('session-nav').hidden = !loggedIn;
  markCurrent($('nav-catalog'), name === 'catalog', 'page');
  markCurrent($('nav-orders'), name === 'orders', 'page');
  document.title = `${VIEWS[name].title} · Crucible shop`;
  if (focus) $(focusId || VIEWS[name].focus).focus({ preventScroll: false });
}

function markCurrent(node, current, value = 'true') {
  if (current) node.setAttribute('aria-current', value);
  else node.removeAttribute('aria-current');
}

function renderUser() {
  $('user-name').textContent = state.username || '';
}

// ---------------------------------------------------------------------------------------------
// Session

function clearSession() {
  state.accessToken = null;
  state.refreshToken = null;
  state.username = null;
  saveSession();
  renderUser();
  resetScreens();
}

/** Forgets what the previous user saw: search, product list, detail, confirmation, orders. */
function resetScreens() {
  state.listSeq++;
  state.ordersSeq++;
  closeProduct();
  state.query = { q: '', category: '' };
  state.pageCursors = [null];
  state.pageIndex = 0;
  state.nextCursor = null;
  $('search-input').value = '';
  $('category-input').value = '';
  $('product-list').replaceChildren();
  $('list-status').textContent = '';
  $('page-label').textContent = '';
  $('prev-page').disabled = true;
  $('next-page').disabled = true;
  showMessage($('catalog-error'), '');
  $('order-confirmation').hidden = true;
  $('orders-list').replaceChildren();
  $('orders-status').textContent = '';
  showMessage($('orders-error'), '');
}

function sessionExpired() {
  if (!state.accessToken) return; // already handled (several requests may fail together)
  clearSession();
  resetLoginForm();
  showMessage($('login-notice'), 'Your session has ended. Please sign in again.');
  showView('login', { focusId: 'login-username' });
}

function resetLoginForm() {
  $('login-password').value = '';
  showMessage($('login-error'), '');
  showMessage($('login-notice'), '');
  setBusy($('login-submit'), false, 'Sign in');
}

function loginErrorMessage(err) {
  if (err instanceof NetworkError) return 'Could not reach the server. Check your connection and try again.';
  switch (err.status) {
    case 401:
      return 'Invalid username or password.';
    case 423:
      return `This account is locked after too many failed sign-in attempts. Try again in ${formatRetryAfter(err.retryAfter)}.`;
    case 429:
      return `Too many sign-in attempts. Please wait ${formatRetryAfter(err.retryAfter)} and try again.`;
    default:
      return err.message || 'Sign-in failed. Please try again.';
  }
}

function setBusy(button, busy, label) {
  button.disabled = busy;
  button.setAttribute('aria-busy', String(busy));
  if (label) button.textContent = label;
}

async function onLogin(event) {
  event.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  showMessage($('login-notice'), '');
  if (!username || !password) {
    showMessage($('login-error'), 'Enter your username and password.');
    return;
  }
  showMessage($('login-error'), '');
  setBusy($('login-submit'), true, 'Signing in…');
  try {
    const tokens = await api('/api/auth/login', { method: 'POST', body: { username, password }, auth: false });
    if (!tokens || typeof tokens.accessToken !== 'string') throw new ApiError(502, { message: 'Unexpected response from the server.' });
    state.accessToken = tokens.accessToken;
    state.refreshToken = tokens.refreshToken ?? null;
    state.username = username;
    saveSession();
    $('login-password').value = '';
    await loadMe();
    if (!state.accessToken) return; // /api/me answered 401: back on the login view already
    enterCatalog();
  } catch (err) {
    showMessage($('login-error'), loginErrorMessage(err));
    $('login-password').select();
  } finally {
    setBusy($('login-submit'), false, 'Sign in');
  }
}

/** Fills in the user's name from GET /api/me (falls back to the name used at sign-in). */
async function loadMe() {
  try {
    const me = await api('/api/me');
    if (me && me.username) state.username = me.username;
    saveSession();
  } catch (err) {
    if (!(err instanceof NetworkError) && err.status === 401) return;
    // Keep going with the stored name; the catalog still works.
  }
  renderUser();
}

async function onLogout() {
  const { accessToken, refreshToken } = state;
  setPendingOrder(null);
  clearSession();
  resetLoginForm();
  showMessage($('login-notice'), 'You have signed out.');
  showView('login', { focusId: 'login-username' });
  if (!accessToken) return;
  try {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(refreshToken ? { refreshToken } : {}),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    // The local session is gone either way; the access token expires on its own.
  }
}

// ---------------------------------------------------------------------------------------------
// Catalog

function enterCatalog() {
  showView('catalog');
  if (state.pageCursors.length === 1 && !$('product-list').children.length) loadPage(0);
}

function productsUrl(cursor) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) params.set('cursor', cursor);
  if (state.query.category) params.set('category', state.query.category);
  if (state.query.q) params.set('q', state.query.q);
  return `/api/products?${params}`;
}

async function loadPage(index) {
  const seq = ++state.listSeq;
  const cursor = state.pageCursors[index] ?? null;
  const list = $('product-list');
  list.setAttribute('aria-busy', 'true');
  showMessage($('catalog-error'), '');
  $('list-status').textContent = 'Loading products…';
  $('next-page').disabled = true;
  $('prev-page').disabled = true;
  try {
    const page = await api(productsUrl(cursor));
    if (seq !== state.listSeq) return; // a newer search or page superseded this one
    state.pageIndex = index;
    state.pageCursors.length = index + 1;
    state.nextCursor = page && page.nextCursor != null && page.nextCursor !== '' ? String(page.nextCursor) : null;
    renderProducts(Array.isArray(page?.items) ? page.items : []);
  } catch (err) {
    if (seq !== state.listSeq) return;
    $('list-status').textContent = '';
    showMessage($('catalog-error'), catalogErrorMessage(err, 'load products'));
    // The page shown is unchanged: its buttons work again (a failed "next" can simply be retried).
    $('prev-page').disabled = state.pageIndex === 0;
    $('next-page').disabled = !state.nextCursor;
  } finally {
    if (seq === state.listSeq) list.removeAttribute('aria-busy');
  }
}

function catalogErrorMessage(err, what) {
  if (err instanceof NetworkError) return `Could not ${what}: the server did not respond. Try again.`;
  if (err.status === 429) return `Too many requests. Please wait ${formatRetryAfter(err.retryAfter)} and try again.`;
  if (err.status === 404) return 'Not found.';
  return `Could not ${what}: ${err.message}`;
}

function renderProducts(items) {
  const list = $('product-list');
  const selectedId = state.product ? String(state.product.id) : null;
  list.replaceChildren(
    ...items.map((p) => {
      if (p.category) state.categories.add(String(p.category));
      const id = String(p.id);
      const stock = Number(p.stock);
      return el(
        'li',
        {
          className: 'product-item',
          dataset: { testid: 'product-item', productId: id },
          'aria-current': id === selectedId ? 'true' : null,
        },
        el(
          'button',
          { type: 'button', className: 'product-open', 'aria-controls': 'product-detail' },
          el('span', { className: 'p-name', text: p.name }),
          el('span', { className: 'p-price' }, el('span', { className: 'visually-hidden', text: 'Price ' }), formatMoney(p.price)),
          el('span', {
            className: stock > 0 ? 'p-stock' : 'p-stock out',
            text: stock > 0 ? `${stock} in stock` : 'Out of stock',
          }),
        ),
      );
    }),
  );
  renderCategories();
  const page = state.pageIndex + 1;
  $('page-label').textContent = `Page ${page}`;
  $('list-status').textContent = items.length
    ? `Showing ${items.length} product${items.length === 1 ? '' : 's'}${state.query.q || state.query.category ? ' matching your search' : ''}.`
    : 'No products match your search.';
  $('prev-page').disabled = state.pageIndex === 0;
  $('next-page').disabled = !state.nextCursor;
}

function renderCategories() {
  const datalist = $('category-options');
  const have = new Set([...datalist.options].map((o) => o.value));
  const add = [...state.categories].filter((c) => !have.has(c));
  if (!add.length) return;
  const all = [...have, ...add].sort((a, b) => a.localeCompare(b));
  datalist.replaceChildren(...all.map((c) => el('option', { value: c })));
}

function onSearch(event) {
  event.preventDefault();
  state.query = { q: $('search-input').value.trim(), category: $('category-input').value.trim() };
  state.pageCursors = [null];
  state.pageIndex = 0;
  state.nextCursor = null;
  loadPage(0);
}

function onNextPage() {
  if (!state.nextCursor) return;
  state.pageCursors[state.pageIndex + 1] = state.nextCursor;
  loadPage(state.pageIndex + 1);
  $('results-title').scrollIntoView({ block: 'nearest' });
}

function onPrevPage() {
  if (state.pageIndex > 0) loadPage(state.pageIndex - 1);
}

function onProductListClick(event) {
  const item = event.target.closest('[data-product-id]');
  if (!item || !$('product-list').contains(item)) return;
  openProduct(item.dataset.productId);
}

async function openProduct(id, { quiet = false } = {}) {
  const seq = ++state.detailSeq;
  const detail = $('product-detail');
  for (const li of $('product-list').children) markCurrent(li, li.dataset.productId === String(id));
  detail.hidden = false;
  if (!quiet) {
    $('detail-body').hidden = true;
    $('detail-name').textContent = 'Product';
    $('detail-status').textContent = 'Loading product…';
  }
  try {
    const product = await api(`/api/products/${encodeURIComponent(id)}`);
    if (seq !== state.detailSeq) return;
    const changed = !state.product || String(state.product.id) !== String(product.id);
    state.product = product;
    renderProduct(product, { resetForm: changed });
    if (!quiet) {
      $('detail-name').focus({ preventScroll: true });
      if (window.matchMedia('(max-width: 899px)').matches) detail.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  } catch (err) {
    if (seq !== state.detailSeq || quiet) return;
    $('detail-body').hidden = true;
    $('detail-status').textContent = catalogErrorMessage(err, 'load this product');
  }
}

function renderProduct(p, { resetForm }) {
  const stock = Number(p.stock);
  $('detail-status').textContent = '';
  $('detail-name').textContent = p.name;
  $('detail-description').textContent = p.description || '';
  $('detail-price').textContent = formatMoney(p.price);
  $('detail-stock').textContent = stock > 0 ? String(stock) : 'Out of stock';
  $('detail-category').textContent = p.category || '—';
  $('detail-sku').textContent = p.sku || '—';
  $('detail-body').hidden = false;
  updateListRow(p);
  const qty = $('order-quantity');
  if (stock > 0) qty.max = String(stock);
  else qty.removeAttribute('max');
  if (resetForm) {
    showMessage($('order-error'), '');
    const pending = pendingFor(p.id);
    if (pending) {
      qty.value = String(pending.quantity);
      showMessage($('order-error'), 'An earlier attempt to order this item got no answer. Press "Place order" to retry: it will not create a second order.');
    } else {
      qty.value = '1';
    }
  }
}

/** Keeps the list row in step with the fresher detail (stock changes after an order). */
function updateListRow(p) {
  const row = [...$('product-list').children].find((li) => li.dataset.productId === String(p.id));
  if (!row) return;
  const stock = Number(p.stock);
  const stockEl = row.querySelector('.p-stock');
  if (stockEl) {
    stockEl.textContent = stock > 0 ? `${stock} in stock` : 'Out of stock';
    stockEl.classList.toggle('out', !(stock > 0));
  }
  const priceEl = row.querySelector('.p-price');
  if (priceEl && priceEl.lastChild) priceEl.lastChild.textContent = formatMoney(p.price);
}

function closeProduct() {
  state.detailSeq++;
  state.product = null;
  $('product-detail').hidden = true;
  for (const li of $('product-list').children) li.removeAttribute('aria-current');
}

// ---------------------------------------------------------------------------------------------
// Orders

function pendingFor(productId) {
  const p = state.pendingOrder;
  if (!p || String(p.productId) !== String(productId) || p.username !== state.username) return null;
  return p;
}

/** Whether a failed order attempt may have been (or may still be) committed, or was simply not
 *  processed: then the same submission is retried with the same Idempotency-Key. */
function keepKeyAfter(err) {
  if (err instanceof NetworkError) return true;
  return err.status === 401 || err.status === 408 || err.status === 429 || err.status >= 500;
}

function orderErrorMessage(err) {
  if (err instanceof NetworkError) {
    return 'The server did not answer, so the order may or may not have been placed. Press "Place order" again to retry safely: it will not create a second order.';
  }
  switch (err.code || err.status) {
    case 'out_of_stock':
    case 409:
      return 'Not enough stock for that quantity. Try a smaller quantity.';
    case 'idempotency_key_reused':
    case 422:
      return 'This order request conflicted with an earlier one. Please place the order again.';
    default:
      break;
  }
  if (err.status === 429) return `Too many requests. Please wait ${formatRetryAfter(err.retryAfter)}, then press "Place order" again.`;
  if (err.status >= 500) return `The server had a problem (HTTP ${err.status}). Press "Place order" again to retry safely: it will not create a second order.`;
  return err.message || 'The order could not be placed.';
}

async function onPlaceOrder(event) {
  event.preventDefault();
  if (state.ordering || !state.product) return;
  const product = state.product;
  const qtyInput = $('order-quantity');
  const quantity = Number(qtyInput.value);
  if (!Number.isInteger(quantity) || quantity < 1) {
    showMessage($('order-error'), 'Enter a whole number of at least 1.');
    qtyInput.focus();
    return;
  }
  showMessage($('order-error'), '');

  // Same product and quantity as an unanswered attempt: the same submission, so the same key.
  let pending = pendingFor(product.id);
  if (!pending || pending.quantity !== quantity) {
    pending = { key: newIdempotencyKey(), productId: product.id, quantity, username: state.username };
    setPendingOrder(pending);
  }

  state.ordering = true;
  setBusy($('order-submit'), true, 'Placing order…');
  try {
    const order = await api('/api/orders', {
      method: 'POST',
      headers: { 'Idempotency-Key': pending.key },
      body: { items: [{ productId: pending.productId, quantity: pending.quantity }] },
      timeoutMs: ORDER_TIMEOUT_MS,
    });
    if (state.pendingOrder && state.pendingOrder.key === pending.key) setPendingOrder(null);
    showConfirmation(order);
  } catch (err) {
    if (!keepKeyAfter(err) && state.pendingOrder && state.pendingOrder.key === pending.key) setPendingOrder(null);
    if (!(err instanceof ApiError && err.status === 401)) showMessage($('order-error'), orderErrorMessage(err));
  } finally {
    state.ordering = false;
    setBusy($('order-submit'), false, 'Place order');
  }
}

function showConfirmation(order) {
  $('order-id').textContent = String(order?.id ?? '');
  const total = $('order-total');
  total.textContent = formatMoney(order?.total);
  total.dataset.value = String(order?.total ?? '');
  $('order-status').textContent = order?.status || '—';
  $('order-confirmation').hidden = false;
  showView('orders', { focusId: 'confirmation-title' });
  loadOrders();
}

function showOrders() {
  $('order-confirmation').hidden = true;
  showView('orders');
  loadOrders();
}

async function loadOrders() {
  const seq = ++state.ordersSeq;
  const list = $('orders-list');
  list.setAttribute('aria-busy', 'true');
  showMessage($('orders-error'), '');
  $('orders-status').textContent = 'Loading your orders…';
  try {
    const data = await api('/api/orders');
    if (seq !== state.ordersSeq) return;
    const orders = Array.isArray(data) ? data : Array.isArray(data?.items) ? data.items : Array.isArray(data?.orders) ? data.orders : [];
    renderOrders(orders);
  } catch (err) {
    if (seq !== state.ordersSeq) return;
    $('orders-status').textContent = '';
    showMessage($('orders-error'), catalogErrorMessage(err, 'load your orders'));
  } finally {
    if (seq === state.ordersSeq) list.removeAttribute('aria-busy');
  }
}

function renderOrders(orders) {
  const sorted = [...orders].sort((a, b) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')));
  $('orders-list').replaceChildren(
    ...sorted.map((o) => {
      const items = Array.isArray(o.items) ? o.items : [];
      const units = items.reduce((n, i) => n + (Number(i.quantity) || 0), 0);
      return el(
        'li',
        { className: 'order-row', dataset: { orderId: String(o.id) } },
        el('span', { className: 'o-id' }, el('span', { className: 'visually-hidden', text: 'Order ' }), el('code', { text: String(o.id) })),
        el('span', { className: 'o-date', text: formatDate(o.createdAt) }),
        el('span', { className: 'o-items', text: `${units} item${units === 1 ? '' : 's'}` }),
        el('span', { className: 'o-status', text: o.status || '' }),
        el('span', { className: 'o-total' }, el('span', { className: 'visually-hidden', text: 'Total ' }), formatMoney(o.total)),
      );
    }),
  );
  $('orders-status').textContent = sorted.length ? `${sorted.length} order${sorted.length === 1 ? '' : 's'}.` : 'You have no orders yet.';
}

function continueShopping() {
  $('order-confirmation').hidden = true;
  showView('catalog');
  if (state.product) openProduct(state.product.id, { quiet: true }); // refresh the stock shown
  if (!$('product-list').children.length) loadPage(0);
}

// ---------------------------------------------------------------------------------------------
// Start

function init() {
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  $('nav-catalog').addEventListener('click', () => {
    $('order-confirmation').hidden = true;
    enterCatalog();
  });
  $('nav-orders').addEventListener('click', showOrders);
  $('search-form').addEventListener('submit', onSearch);
  $('next-page').addEventListener('click', onNextPage);
  $('prev-page').addEventListener('click', onPrevPage);
  $('product-list').addEventListener('click', onProductListClick);
  $('detail-close').addEventListener('click', closeProduct);
  $('order-form').addEventListener('submit', onPlaceOrder);
  $('order-quantity').addEventListener('input', () => {
    if (!$('order-error').hidden && !state.ordering) showMessage($('order-error'), '');
  });
  $('continue-shopping').addEventListener('click', continueShopping);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.view === 'catalog' && !$('product-detail').hidden) closeProduct();
  });

  const saved = storageGet(SESSION_KEY);
  const pending = storageGet(PENDING_ORDER_KEY);
  if (pending && typeof pending.key === 'string') state.pendingOrder = pending;

  if (saved && typeof saved.accessToken === 'string') {
    state.accessToken = saved.accessToken;
    state.refreshToken = saved.refreshToken ?? null;
    state.username = saved.username ?? null;
    renderUser();
    loadMe().then(() => {
      if (state.accessToken) enterCatalog();
    });
  } else {
    showView('login', { focusId: 'login-username' });
  }
}

init();
