// The warning before a signed-in session ends, after GOV.UK's timeout warning. The page says
// how many seconds its session has left; a little before the end (data-warn-before), a modal
// dialog offers to stay signed in. "Stay signed in", in the dialog or on the page, and Escape
// send the page's own "Stay signed in" form in the background, so nothing typed on the page
// is lost. Every tab renews the same session, so each page notes the session's end in
// localStorage and every tab goes by the latest. When the time is up the dialog says so but
// leaves the page as it is: answers saved from it then are kept until the person signs in
// again (register/views/session_end.py). Without this script, or without <dialog>, the page's
// sentence and form do the same job. The words it writes come from the page (data-texts), in
// the page's language, with a count's words chosen by that language's plural rules.

const STORE_KEY = 'register-session-ends-at'
const TICK = 1000 // the visible countdown changes every second; what is read out, far less

// "5 minutes": the words for `count` in the form its plural rules choose ("one", "other"...).
function plural (count, forms, rules) {
  return (forms[rules.select(count)] || forms.other).replace('%{count}', String(count))
}

// "1 minute 5 seconds", for the eye.
function shown (seconds, texts, rules) {
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  if (!minutes) return plural(rest, texts.seconds, rules)
  const inMinutes = plural(minutes, texts.minutes, rules)
  return rest ? `${inMinutes} ${plural(rest, texts.seconds, rules)}` : inMinutes
}

// "2 minutes", then "45 seconds", "30 seconds"...: for the ear, so a screen reader is told
// when the words change, once a minute and then every 15 seconds, never every second.
function said (seconds, texts, rules) {
  if (seconds > 60) return plural(Math.ceil(seconds / 60), texts.minutes, rules)
  return plural(Math.max(15, Math.ceil(seconds / 15) * 15), texts.seconds, rules)
}

function stored () {
  try {
    return Number(window.localStorage.getItem(STORE_KEY)) || 0
  } catch {
    return 0 // storage refused (a privacy setting): this tab goes by its own page
  }
}

function store (endsAt) {
  try {
    window.localStorage.setItem(STORE_KEY, String(endsAt))
  } catch {}
}

function SessionTimeout (box) {
  const dialog = box.querySelector('dialog')
  const form = box.querySelector('form[data-stay-signed-in]')
  const endsAtText = box.querySelector('[data-ends-at]')
  const stayStatus = box.querySelector('[data-stay-status]')
  const heading = dialog.querySelector('[data-heading]')
  const countdown = dialog.querySelector('[data-countdown]')
  const spoken = dialog.querySelector('[data-said]')
  const stayButton = dialog.querySelector('[data-stay]')
  const closeButton = dialog.querySelector('[data-close]')
  const warnBefore = Number(box.dataset.warnBefore) * 1000
  const texts = JSON.parse(box.dataset.texts)
  const rules = new Intl.PluralRules(document.documentElement.lang || 'en')
  const goBack = closeButton.textContent
  const firstHeading = heading.textContent
  let canStay = box.dataset.canStay === 'true' && form !== null
  let endsAt = Date.now() + Number(box.dataset.secondsLeft) * 1000
  let timer = null
  let ticker = null
  let ended = false
  let focusBefore = null

  // Another tab's request renewed the session: go by its end if it is later.
  function caughtUp () {
    const latest = stored()
    if (latest <= endsAt) return false
    endsAt = latest
    return true
  }

  function schedule () {
    clearTimeout(timer)
    const wait = endsAt - warnBefore - Date.now()
    timer = setTimeout(check, Math.min(Math.max(0, wait), 2 ** 31 - 1))
  }

  function check () {
    caughtUp()
    if (Date.now() < endsAt - warnBefore) {
      schedule()
      return
    }
    open()
  }

  function open () {
    if (!dialog.open) {
      focusBefore = document.activeElement
      heading.textContent = firstHeading
      stayButton.hidden = !canStay
      closeButton.hidden = canStay
      closeButton.textContent = goBack
      spoken.textContent = ''
      tick()
      dialog.showModal()
      // The dialog itself, so its heading and message are read first; Tab then reaches
      // its buttons, and showModal keeps the rest of the page out of reach.
      dialog.focus()
    }
    clearInterval(ticker)
    ticker = setInterval(tick, TICK)
  }

  function tick () {
    if (caughtUp() && !ended) {
      close()
      schedule()
      return
    }
    const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000))
    if (left === 0) {
      end()
      return
    }
    const then = canStay ? '' : ` ${texts.saveNow}`
    countdown.textContent = texts.countdown.replace('%{time}', shown(left, texts, rules)) + then
    const words = texts.countdown.replace('%{time}', said(left, texts, rules)) + then
    if (spoken.textContent !== words) spoken.textContent = words
  }

  function end () {
    ended = true
    clearInterval(ticker)
    heading.textContent = texts.signedOut
    countdown.textContent = texts.ended
    spoken.textContent = texts.ended
    stayButton.hidden = true
    closeButton.hidden = false
  }

  function close () {
    clearInterval(ticker)
    if (dialog.open) {
      dialog.close()
      if (focusBefore && document.contains(focusBefore)) focusBefore.focus()
    }
  }

  async function stay () {
    let answer = null
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body: new FormData(form),
        headers: { Accept: 'application/json' },
        credentials: 'same-origin'
      })
      answer = response.ok ? await response.json() : null
    } catch {
      answer = null // the register could not be reached: say what is known
    }
    if (!answer || !answer.signedIn) {
      if (!dialog.open) open()
      end()
      return false
    }
    endsAt = Date.now() + answer.secondsLeft * 1000
    canStay = answer.canStay
    store(endsAt)
    if (endsAtText) endsAtText.textContent = answer.endsAt
    close()
    schedule()
    return true
  }

  stayButton.addEventListener('click', stay)
  closeButton.addEventListener('click', close)
  // Escape: stay signed in, as the GOV.UK pattern has it (or just close, once it is over).
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    if (!ended && canStay) stay()
    else close()
  })
  if (form) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      stayStatus.textContent = ''
      if (await stay()) stayStatus.textContent = texts.stillSignedIn
    })
  }
  window.addEventListener('storage', (event) => {
    if (event.key === STORE_KEY && caughtUp() && !ended) {
      close()
      schedule()
    }
  })
  store(endsAt)
  schedule()
}

const box = document.getElementById('session-end')
const dialog = box && box.querySelector('dialog')
if (dialog && typeof dialog.showModal === 'function') {
  SessionTimeout(box)
}
