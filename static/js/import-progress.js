// The import upload page, with JavaScript: the file is sent in the background so the page can
// show how much of it has gone, then how many of its rows have been checked, which the page
// asks the register about once a second. Once the report is ready the browser goes to it, as
// the form without JavaScript would; errors are shown as that form shows them. Without this
// script (or without the browser features it needs) the form posts as any form does.
import { initAll } from '../govuk/govuk-frontend.min.js'

const ASK_EVERY = 1000 // milliseconds between questions about the check's progress
const ANNOUNCE_EVERY = 1000 // at most this often does the status change (screen readers read it)

function whole (number) {
  return Math.round(number).toLocaleString('en-GB')
}

function size (bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}

// The words under the bar: changed at once for a new stage, else at most every second, so
// that a screen reader is not given a new number to read on every tick.
function Status (element) {
  let shownAt = 0
  let waiting = null
  let timer = null
  function show (text) {
    element.textContent = text
    shownAt = Date.now()
    waiting = null
  }
  return {
    say (text, { now = false } = {}) {
      if (now || Date.now() - shownAt >= ANNOUNCE_EVERY) {
        clearTimeout(timer)
        show(text)
        return
      }
      const later = waiting === null
      waiting = text
      if (later) timer = setTimeout(() => show(waiting), ANNOUNCE_EVERY - (Date.now() - shownAt))
    },
    clear () {
      clearTimeout(timer)
      element.textContent = ''
      waiting = null
    }
  }
}

function Progress (form, box, status) {
  const bar = box.querySelector('progress')
  const heading = box.querySelector('h2')
  const words = Status(status)
  const progressUrl = form.getAttribute('data-import-progress-url')
  let asking = null
  let stage = ''

  function enter (name, title) {
    if (stage !== name) {
      stage = name
      heading.textContent = title
      return true
    }
    return false
  }

  function fraction (value) {
    if (value === null) {
      bar.removeAttribute('value') // no measure yet: the bar shows it is working
    } else {
      bar.value = Math.min(1, Math.max(0, value))
    }
  }

  function sending (loaded, total) {
    const fresh = enter('sending', 'Sending your file')
    fraction(total ? loaded / total : null)
    const share = Math.floor((100 * loaded) / total)
    const said = total ? `${share}% of the file sent (${size(loaded)} of ${size(total)}).` : 'Sending the file.'
    words.say(said, { now: fresh })
  }

  function checking (found) {
    if (found && found.finished) {
      const fresh = enter('finished', 'Preparing the report')
      fraction(1)
      words.say(`All ${whole(found.rows_checked)} rows checked. Preparing the report.`, { now: fresh })
      return
    }
    const fresh = enter('checking', 'Checking your file')
    if (!found || !found.rows_checked) {
      fraction(null)
      words.say('The file is sent. Checking its rows.', { now: fresh })
      return
    }
    const expected = found.rows_expected
    fraction(expected ? found.rows_checked / expected : null)
    const of = expected ? ` of about ${whole(expected)}` : ''
    words.say(`${whole(found.rows_checked)} rows checked${of}.`, { now: fresh })
  }

  // Asks how far the check has got, then again a second after each answer until stopped.
  // No answer (not started, or already over) leaves what is shown as it is.
  function ask () {
    fetch(progressUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : null))
      .then((found) => { if (found && asking !== null) checking(found) })
      .catch(() => {})
      .finally(() => { if (asking !== null) asking = setTimeout(ask, ASK_EVERY) })
  }

  return {
    start () {
      box.hidden = false
      sending(0, 0)
    },
    sending,
    sent () {
      checking(null)
      if (asking === null) asking = setTimeout(ask, 0)
    },
    stop () {
      clearTimeout(asking)
      asking = null
    },
    ready () {
      this.stop()
      enter('ready', 'Opening the report')
      fraction(1)
      words.say('The report is ready. Opening it.', { now: true })
    },
    hide () {
      this.stop()
      box.hidden = true
      words.clear()
    }
  }
}

// The page the register answered with instead of the report (the form with its errors, or
// an error page), shown as the browser would show it: its main content, and its title.
function showPage (html) {
  const page = new window.DOMParser().parseFromString(html, 'text/html')
  const main = document.querySelector('main')
  const theirs = page.querySelector('main')
  if (!main || !theirs) return false
  document.title = page.title
  main.innerHTML = theirs.innerHTML
  initAll({ scope: main }) // the error summary takes the focus, as on a page load
  start() // the form is a new one, with a new token
  return true
}

function send (form, submitter) {
  const progress = Progress(
    form,
    document.querySelector('[data-import-progress]'),
    document.querySelector('[data-import-progress-status]')
  )
  let data
  try {
    data = new window.FormData(form, submitter)
  } catch (error) {
    data = new window.FormData(form)
  }
  const request = new window.XMLHttpRequest()
  // Whatever goes wrong on the way, the form is posted as it would be without this script.
  const postInstead = () => { progress.hide(); form.submit() }
  request.open('POST', form.getAttribute('action') || window.location.href)
  request.setRequestHeader('Accept', 'application/json')
  request.upload.addEventListener('progress', (event) => {
    progress.sending(event.loaded, event.lengthComputable ? event.total : 0)
  })
  request.upload.addEventListener('load', () => progress.sent())
  request.addEventListener('load', () => {
    const type = request.getResponseHeader('Content-Type') || ''
    if (request.status === 200 && type.startsWith('application/json')) {
      let answer = {}
      try {
        answer = JSON.parse(request.responseText)
      } catch (error) {}
      if (answer.report) {
        progress.ready()
        window.location.assign(answer.report)
        return
      }
    }
    progress.stop()
    if (!(type.startsWith('text/html') && showPage(request.responseText))) postInstead()
  })
  request.addEventListener('error', postInstead)
  request.addEventListener('abort', () => progress.hide())
  progress.start()
  request.send(data)
  return request
}

function start () {
  const form = document.querySelector('form[data-import-progress-url]')
  const parts = ['[data-import-progress]', '[data-import-progress-status]']
  if (!form || !parts.every((part) => document.querySelector(part))) return
  if (!window.XMLHttpRequest || !window.FormData || !window.fetch) return
  let sending = null
  form.addEventListener('submit', (event) => {
    const file = form.querySelector('input[type=file]')
    // With no file chosen there is nothing to show progress for: the form posts as it is.
    if (!file || !file.files || !file.files.length) return
    event.preventDefault()
    if (sending === null) sending = send(form, event.submitter)
  })
}

start()
