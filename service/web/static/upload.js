// Upload: one request per file (each its own progress bar), then poll its job until done or failed.
// Without this script the form still posts every file and the page refreshes itself.
"use strict";
(function () {
  const form = document.getElementById("upload");
  if (!form) return;
  const input = document.getElementById("files");
  const drop = document.getElementById("drop");
  const list = document.getElementById("dang-gui");
  const section = document.getElementById("dang-gui-section");
  const token = form.dataset.token;
  const STATES = {queued: "Đang chờ", running: "Đang đọc", done: "Xong", failed: "Không đọc được"};

  function row(name) {
    const li = document.createElement("li");
    li.className = "job state-sending";
    const label = document.createElement("span");
    label.className = "job-name";
    label.textContent = name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Tiến độ " + name);
    const state = document.createElement("span");
    state.className = "job-state";
    state.textContent = "Đang gửi";
    li.append(label, bar, state);
    list.prepend(li);
    section.hidden = false;
    return {li, bar, state};
  }

  function reason(text, detail) {
    const why = document.createElement("span");
    why.className = "job-reason";
    why.textContent = text;
    if (detail) {
      const small = document.createElement("small");
      small.textContent = " (" + detail + ")";
      why.append(small);
    }
    return why;
  }

  function finish(view, job) {
    view.li.className = "job state-" + job.state;
    view.bar.value = job.percent;
    let text = STATES[job.state] || job.state;
    if (job.state === "running" && job.pages_total) text += " · trang " + job.pages_done + "/" + job.pages_total;
    view.state.textContent = text;
    if (job.state === "done" && job.letter_url && !view.li.querySelector("a")) {
      const a = document.createElement("a");
      a.href = job.letter_url;
      a.textContent = "Mở văn bản";
      view.li.append(a);
    }
    if (job.state === "failed" && job.reason && !view.li.querySelector(".job-reason")) {
      view.li.append(reason(job.reason_text || job.reason, job.reason_detail));
    }
  }

  function follow(view, jobId) {
    fetch("/tai-len/viec/" + jobId, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then((r) => r.json())
      .then((job) => {
        finish(view, job);
        if (job.state === "queued" || job.state === "running") setTimeout(() => follow(view, jobId), 700);
      })
      .catch(() => setTimeout(() => follow(view, jobId), 2000));
  }

  function send(file) {
    const view = row(file.name);
    const data = new FormData();
    data.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/tai-len");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", token);
    // The bytes on the wire are the first 10 percent; reading the pages is the rest.
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) view.bar.value = Math.round(10 * e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (xhr.status === 202 && Array.isArray(body) && body.length) {
        const job = body[0];
        view.state.textContent = STATES[job.state] || job.state;
        if (job.arrival && job.arrival.number) {
          // The arrivals book number (số đến) the clerk writes on the paper original.
          const arrival = document.createElement("span");
          arrival.className = "job-arrival";
          arrival.textContent = "Số đến " + job.arrival.number;
          view.li.querySelector(".job-name").append(document.createTextNode(" "), arrival);
        }
        follow(view, job.job);
      } else {
        view.li.className = "job state-failed";
        view.bar.value = 100;
        view.state.textContent = "Không gửi được";
        view.li.append(reason((body && body.message) || ("Lỗi " + xhr.status), body && body.detail));
      }
    };
    xhr.onerror = () => { view.state.textContent = "Mất kết nối khi gửi"; view.li.className = "job state-failed"; };
    xhr.send(data);
  }

  function sendAll(files) { Array.from(files).forEach(send); }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (input.files.length) { sendAll(input.files); input.value = ""; }
  });
  input.addEventListener("change", () => { if (input.files.length) { sendAll(input.files); input.value = ""; } });
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => {
    e.preventDefault();
    drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (e) => { e.preventDefault(); if (e.dataTransfer.files.length) sendAll(e.dataTransfer.files); });
})();
