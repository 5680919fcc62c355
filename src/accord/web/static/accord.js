// accord's pages: every form with data-api="METHOD /path" is sent to the JSON API with the
// CSRF token (the csrf_token cookie's value in the X-CSRF-Token header). No inline script:
// the Content-Security-Policy allows this file only.
"use strict";

function csrfToken() {
  const found = document.cookie.match(/(?:^|;\s*)csrf_token=([^;]*)/);
  return found ? decodeURIComponent(found[1]) : "";
}

async function send(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch (_) {
    data = null;
  }
  if (!response.ok) {
    throw new Error((data && data.error) || "the server answered " + response.status);
  }
  return data;
}

function plainFields(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") out[el.name] = el.checked;
    else if (el.type === "number") out[el.name] = Number(el.value);
    else out[el.name] = el.value;
  }
  return out;
}

function preferences(form) {
  const weights = {};
  const values = {};
  const redLines = [];
  let walkAway = 0;
  for (const el of form.querySelectorAll("[data-role]")) {
    const issue = el.dataset.issue;
    switch (el.dataset.role) {
      case "weight":
        weights[issue] = Number(el.value);
        break;
      case "value":
        (values[issue] = values[issue] || {})[el.dataset.option] = Number(el.value);
        break;
      case "point":
        (values[issue] = values[issue] || { points: [] }).points.push([Number(el.dataset.x), Number(el.value)]);
        break;
      case "red-line":
        if (el.checked) redLines.push({ when: { [issue]: el.dataset.option } });
        break;
      case "walk-away":
        walkAway = Number(el.value) / 100;
        break;
    }
  }
  return { weights, values, reservation_value: walkAway, red_lines: redLines };
}

function showTotal() {
  const total = document.querySelector("[data-total]");
  if (!total) return;
  let sum = 0;
  for (const el of document.querySelectorAll("[data-role=weight]")) sum += Number(el.value) || 0;
  total.textContent = String(sum);
  total.classList.toggle("off", sum !== 100);
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
  event.preventDefault();
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  const alert = form.querySelector("[role=alert]");
  if (alert) alert.textContent = "";
  const [method, url] = form.dataset.api.split(" ");
  let body =
    form.dataset.kind === "preferences"
      ? preferences(form)
      : Object.assign(JSON.parse(form.dataset.body || "{}"), plainFields(form));
  if (method === "DELETE" && Object.keys(body).length === 0) body = undefined;
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  try {
    const data = await send(method, url, body);
    if (form.dataset.then === "login") {
      await send("POST", "/api/session", { email: form.dataset.email, password: body.password });
    }
    if (form.dataset.show && data && data[form.dataset.show]) {
      const link = location.origin + "/invitations/" + data[form.dataset.show];
      const output = form.querySelector("output");
      output.textContent = link;
      output.classList.add("token");
      if (button) button.disabled = false;
      return;
    }
    if (form.hasAttribute("data-next-case") && data && data.id) location.assign("/cases/" + data.id);
    else if (form.dataset.next) location.assign(form.dataset.next);
    else location.reload();
  } catch (error) {
    if (alert) alert.textContent = error.message;
    if (button) button.disabled = false;
  }
});

document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLInputElement && el.type === "file" && el.dataset.fill && el.files.length) {
    const reader = new FileReader();
    reader.onload = () => {
      document.getElementById(el.dataset.fill).value = String(reader.result);
    };
    reader.readAsText(el.files[0]);
  }
});

document.addEventListener("input", showTotal);
document.addEventListener("DOMContentLoaded", showTotal);
