// My support plan: kept only in this browser's localStorage, never sent to the server.
//
// Loaded as a module by every "Save to my plan" button (templates/plan/includes/save_button.html)
// and by /plan/: a module runs once per page however many times it is included.
//
// Every word a visitor sees comes from the page, in its language: the buttons' data-save-label
// and data-saved-label, and /plan/'s data-text-* attributes (templates/plan/plan.html).
//
// The plan is one small JSON object. A share link carries it after "#", base64url-encoded:
// browsers never send the fragment to the server.

const STORAGE_KEY = "recovery-support-plan";
const SHARE_PREFIX = "#plan=";
const TEXT_FIELDS = ["signs", "todo", "reasons", "crisis"];

function emptyPlan() {
  return { v: 1, items: [], people: [], signs: "", todo: "", reasons: "", crisis: "" };
}

function cleanPlan(value) {
  // A plan from storage or from a link is data someone else may have written: keep only
  // the fields and types this page knows.
  const plan = emptyPlan();
  if (!value || typeof value !== "object") {
    return plan;
  }
  const text = (item, name, limit) => String(item[name] ?? "").slice(0, limit);
  if (Array.isArray(value.items)) {
    plan.items = value.items.slice(0, 100).map((item) => ({
      kind: item.kind === "meeting" ? "meeting" : "listing",
      name: text(item, "name", 200),
      // Only a page of this site: "/…", never "//other.host/…".
      url: /^\/(?![/\\])/.test(text(item, "url", 300)) ? text(item, "url", 300) : "",
      phone: text(item, "phone", 60),
      address: text(item, "address", 300),
      schedule: text(item, "schedule", 100),
      weekday: text(item, "weekday", 1),
      week: text(item, "week", 1),
      start: text(item, "start", 5),
      end: text(item, "end", 5),
      zone: text(item, "zone", 60),
      committed: item.committed === true,
    }));
  }
  if (Array.isArray(value.people)) {
    plan.people = value.people
      .slice(0, 50)
      .map((person) => ({ name: text(person, "name", 80), phone: text(person, "phone", 40) }));
  }
  for (const field of TEXT_FIELDS) {
    plan[field] = text(value, field, 2000);
  }
  return plan;
}

function loadPlan() {
  try {
    return cleanPlan(JSON.parse(localStorage.getItem(STORAGE_KEY) || "null"));
  } catch {
    return emptyPlan();
  }
}

function savePlan(plan) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(plan));
    return true;
  } catch {
    return false; // storage full or refused (some private modes): the page says so
  }
}

// Share links: JSON → UTF-8 → base64url, and back.

function encodePlan(plan) {
  const bytes = new TextEncoder().encode(JSON.stringify(plan));
  let binary = "";
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodePlan(encoded) {
  try {
    const binary = atob(encoded.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    return cleanPlan(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return null;
  }
}

// "Save to my plan" buttons on cards and pages.

function itemFromButton(button) {
  const data = button.dataset;
  return cleanPlan({
    items: [
      {
        kind: data.planKind,
        name: data.planName,
        url: data.planUrl,
        phone: data.planPhone,
        address: data.planAddress,
        schedule: data.planSchedule,
        weekday: data.planWeekday,
        week: data.planWeek,
        start: data.planStart,
        end: data.planEnd,
        zone: data.planZone,
      },
    ],
  }).items[0];
}

function showSaved(button, saved) {
  // The label says what a press does (not a toggle's pressed state, whose label must not change).
  const label = saved ? button.dataset.savedLabel : button.dataset.saveLabel;
  button.querySelector(".save-label").textContent = label;
}

function setUpSaveButtons() {
  for (const button of document.querySelectorAll("button.save-to-plan")) {
    if (button.dataset.planReady) {
      continue;
    }
    button.dataset.planReady = "true";
    const url = button.dataset.planUrl;
    showSaved(button, loadPlan().items.some((item) => item.url === url));
    button.hidden = false;
    button.addEventListener("click", () => {
      const plan = loadPlan();
      const saved = plan.items.some((item) => item.url === url);
      plan.items = saved
        ? plan.items.filter((item) => item.url !== url)
        : [...plan.items, itemFromButton(button)];
      if (savePlan(plan)) {
        showSaved(button, !saved);
      }
    });
  }
}

// Calendar: committed meetings as one iCalendar file, built here.

function icsText(value) {
  return String(value).replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
}

function foldLine(line) {
  // Lines longer than 75 octets are folded (RFC 5545, 3.1), without splitting a character.
  const encoder = new TextEncoder();
  const parts = [];
  let current = "";
  for (const character of line) {
    const limit = parts.length ? 74 : 75;
    if (encoder.encode(current + character).length > limit) {
      parts.push(current);
      current = "";
    }
    current += character;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function offsetIn(zone, when) {
  // "+0530" style offset of the zone at that moment, from the browser's own time zone data.
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(when)
    .find((part) => part.type === "timeZoneName").value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? `${match[1]}${match[2]}${match[3]}` : "+0000";
}

function vtimezone(zone) {
  // The directory lists places in the United States, whose clocks change on the second
  // Sunday of March and the first Sunday of November; a zone without a change (Arizona,
  // Hawaii, Puerto Rico) gets its one offset.
  const year = new Date().getFullYear();
  const winter = offsetIn(zone, new Date(Date.UTC(year, 0, 15)));
  const summer = offsetIn(zone, new Date(Date.UTC(year, 6, 15)));
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  if (winter === summer) {
    lines.push(
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      `TZOFFSETFROM:${winter}`,
      `TZOFFSETTO:${winter}`,
      "END:STANDARD",
    );
  } else {
    lines.push(
      "BEGIN:DAYLIGHT",
      "DTSTART:19700308T020000",
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
      `TZOFFSETFROM:${winter}`,
      `TZOFFSETTO:${summer}`,
      "END:DAYLIGHT",
      "BEGIN:STANDARD",
      "DTSTART:19701101T020000",
      "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
      `TZOFFSETFROM:${summer}`,
      `TZOFFSETTO:${winter}`,
      "END:STANDARD",
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}

const DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

function isNthWeekday(date, week) {
  if (!week) {
    return true;
  }
  if (week === 5) {
    // "Last": a week later is another month.
    const later = new Date(date);
    later.setDate(date.getDate() + 7);
    return later.getMonth() !== date.getMonth();
  }
  return Math.ceil(date.getDate() / 7) === week;
}

function firstDate(weekday, week) {
  // The first day from today that is this weekday (and this week of the month, if monthly).
  const date = new Date();
  for (let days = 0; days < 70; days += 1) {
    if (date.getDay() === weekday && isNthWeekday(date, week)) {
      break;
    }
    date.setDate(date.getDate() + 1);
  }
  const pad = (number) => String(number).padStart(2, "0");
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}

function calendarFor(plan, calendarName) {
  const meetings = plan.items.filter((item) => item.kind === "meeting" && item.committed);
  const stamp = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
  const zones = [...new Set(meetings.map((meeting) => meeting.zone).filter(Boolean))];
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Recovery Support Directory//My support plan//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${icsText(calendarName)}`,
  ];
  for (const zone of zones) {
    lines.push(...vtimezone(zone));
  }
  for (const meeting of meetings) {
    const weekday = Number(meeting.weekday);
    const week = meeting.week ? Number(meeting.week) : 0;
    if (!(weekday >= 0 && weekday <= 6) || !/^\d\d:\d\d$/.test(meeting.start)) {
      continue;
    }
    const day = firstDate(weekday, week);
    const at = (time) => `${day}T${time.replace(":", "")}00`;
    const zoned = meeting.zone ? `;TZID=${meeting.zone}` : "";
    const slug = meeting.url.split("/").filter(Boolean).pop() || "meeting";
    lines.push("BEGIN:VEVENT", `UID:${slug}@plan.${location.host}`, `DTSTAMP:${stamp}`);
    lines.push(`DTSTART${zoned}:${at(meeting.start)}`);
    if (/^\d\d:\d\d$/.test(meeting.end) && meeting.end > meeting.start) {
      lines.push(`DTEND${zoned}:${at(meeting.end)}`);
    } else {
      lines.push("DURATION:PT1H");
    }
    const nth = week === 5 ? "-1" : String(week);
    lines.push(
      week
        ? `RRULE:FREQ=MONTHLY;BYDAY=${nth}${DAYS[weekday]}`
        : `RRULE:FREQ=WEEKLY;BYDAY=${DAYS[weekday]}`,
    );
    lines.push(`SUMMARY:${icsText(meeting.name)}`);
    if (meeting.address) {
      lines.push(`LOCATION:${icsText(meeting.address)}`);
    }
    lines.push(`URL:${location.origin}${meeting.url}`, "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

// The /plan/ page.

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

function planPage(app) {
  const status = document.getElementById("plan-status");
  // The page's words (#plan-words): data-text-going="…" is words("going"); "{name}" and
  // "{count}" are filled in.
  const pageWords = document.getElementById("plan-words").dataset;
  const words = (name, values = {}) => {
    const key = `text${name.replace(/(^|-)(\w)/g, (_, _dash, letter) => letter.toUpperCase())}`;
    return (pageWords[key] ?? "").replace(/\{(\w+)\}/g, (_, field) => values[field] ?? "");
  };
  const sharedNotice = document.getElementById("plan-shared");
  let plan = loadPlan();
  let fromLink = false;

  if (location.hash.startsWith(SHARE_PREFIX)) {
    const shared = decodePlan(location.hash.slice(SHARE_PREFIX.length));
    if (shared) {
      plan = shared;
      fromLink = true;
    }
  }

  function say(message) {
    status.textContent = message;
  }

  function keep() {
    if (!savePlan(plan)) {
      say(words("not-kept"));
      return;
    }
    if (fromLink) {
      fromLink = false;
      sharedNotice.hidden = true;
      history.replaceState(null, "", location.pathname);
    }
  }

  function change(update) {
    update();
    keep();
    render();
  }

  function savedItem(item, index) {
    const link = item.url
      ? element("a", { href: item.url, textContent: item.name })
      : document.createTextNode(item.name);
    const details = [item.schedule, item.start && `${item.start}`, item.address, item.phone]
      .filter(Boolean)
      .join(" · ");
    const row = element("li", {}, [element("strong", {}, [link])]);
    if (details) {
      row.append(element("span", { className: "plan-details", textContent: details }));
    }
    if (item.kind === "meeting") {
      const id = `plan-commit-${index}`;
      const box = element("input", { type: "checkbox", id, checked: item.committed });
      box.addEventListener("change", () =>
        change(() => {
          item.committed = box.checked;
        }),
      );
      row.append(
        element("span", { className: "plan-commit" }, [
          box,
          " ",
          element("label", { htmlFor: id, textContent: words("going") }),
        ]),
      );
    }
    const remove = element("button", {
      type: "button",
      className: "link-button no-print",
      textContent: words("remove"),
    });
    remove.setAttribute("aria-label", words("remove-named", { name: item.name }));
    remove.addEventListener("click", () =>
      change(() => {
        plan.items.splice(index, 1);
      }),
    );
    row.append(" ", remove);
    return row;
  }

  function personItem(person, index) {
    const row = element("li", {}, [element("strong", { textContent: person.name })]);
    if (person.phone) {
      const digits = person.phone.replace(/[^\d+]/g, "");
      row.append(" ", element("a", { href: `tel:${digits}`, textContent: person.phone }));
    }
    const remove = element("button", {
      type: "button",
      className: "link-button no-print",
      textContent: words("remove"),
    });
    remove.setAttribute("aria-label", words("remove-named", { name: person.name }));
    remove.addEventListener("click", () =>
      change(() => {
        plan.people.splice(index, 1);
      }),
    );
    row.append(" ", remove);
    return row;
  }

  function render() {
    document.getElementById("plan-saved").replaceChildren(...plan.items.map(savedItem));
    document.getElementById("plan-saved-empty").hidden = plan.items.length > 0;
    document.getElementById("plan-people").replaceChildren(...plan.people.map(personItem));
    for (const field of TEXT_FIELDS) {
      const box = app.querySelector(`[data-plan-field="${field}"]`);
      if (box.value !== plan[field]) {
        box.value = plan[field];
      }
      app.querySelector(`[data-plan-printed="${field}"]`).textContent = plan[field];
    }
    sharedNotice.hidden = !fromLink;
  }

  for (const field of TEXT_FIELDS) {
    const box = app.querySelector(`[data-plan-field="${field}"]`);
    box.addEventListener("input", () => {
      plan[field] = box.value;
      keep();
      app.querySelector(`[data-plan-printed="${field}"]`).textContent = box.value;
    });
  }

  document.getElementById("plan-person-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const name = form.elements.name.value.trim();
    if (!name) {
      return;
    }
    change(() => {
      plan.people.push({ name, phone: form.elements.phone.value.trim() });
    });
    form.reset();
    say(words("added", { name }));
    form.elements.name.focus();
  });

  document.getElementById("plan-keep").addEventListener("click", () => {
    keep();
    say(words("kept"));
  });

  document.getElementById("plan-print").addEventListener("click", () => window.print());

  document.getElementById("plan-calendar").addEventListener("click", () => {
    const count = plan.items.filter((item) => item.kind === "meeting" && item.committed).length;
    if (!count) {
      say(words("tick-first"));
      return;
    }
    const file = new Blob([calendarFor(plan, words("calendar-name"))], { type: "text/calendar" });
    const url = URL.createObjectURL(file);
    const link = element("a", { href: url, download: words("calendar-file") });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say(count === 1 ? words("calendar-one") : words("calendar-many", { count }));
  });

  document.getElementById("plan-share").addEventListener("click", () => {
    const box = document.getElementById("plan-share-box");
    const field = document.getElementById("plan-share-link");
    field.value = `${location.origin}${location.pathname}${SHARE_PREFIX}${encodePlan(plan)}`;
    box.hidden = false;
    field.focus();
    field.select();
    say(words("link-made"));
  });

  document.getElementById("plan-clear").addEventListener("click", () => {
    if (!window.confirm(words("confirm-clear"))) {
      return;
    }
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing was kept
    }
    plan = emptyPlan();
    fromLink = false;
    history.replaceState(null, "", location.pathname);
    document.getElementById("plan-share-box").hidden = true;
    render();
    say(words("cleared"));
  });

  document.getElementById("plan-blank").hidden = true;
  app.hidden = false;
  render();
}

setUpSaveButtons();
// Search results and the meeting finder swap in new results with htmx: set up their buttons.
document.addEventListener("htmx:afterSettle", setUpSaveButtons);
const app = document.getElementById("plan-app");
if (app) {
  planPage(app);
}
