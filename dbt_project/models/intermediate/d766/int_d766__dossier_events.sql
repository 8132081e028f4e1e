-- Each status event with the dossier's next event: a supplement request (status 5) or, as an
-- option, a financial-obligation request (status 6) is a pause that the next event closes.
{{ d766_events_with_next() }}
