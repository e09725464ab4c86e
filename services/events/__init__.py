"""Community programmes (kegiatan literasi): partner institutions and their
agreements, programmes and their occurrences, registrations with capacity, partners'
seats and a waitlist, check-in at the door, calendars and the month's figures."""
