package services

// celery is what a Celery application reads from the environment whatever its own
// configuration says: Settings.broker_url and Settings.result_backend return
// os.environ's CELERY_BROKER_URL and CELERY_RESULT_BACKEND first (celery/app/utils.py,
// celery/celery at 5dc781f0bd5f). Celery takes them as they are: no quoting.
var celery = &Framework{
	Name:  "celery",
	About: "Celery applications (CELERY_BROKER_URL, CELERY_RESULT_BACKEND)",
	Env:   true,
	For: map[string]FrameworkSettings{
		"rabbitmq": func(ep Endpoint, _ func(string) bool) []Setting {
			return []Setting{{Key: "CELERY_BROKER_URL", Value: AMQPURL(ep), Secret: true}}
		},
		"redis": func(ep Endpoint, planned func(string) bool) []Setting {
			out := []Setting{{Key: "CELERY_RESULT_BACKEND", Value: redisDBURL(ep, redisResults), Secret: true}}
			if !planned("rabbitmq") { // Celery's other common broker
				out = append(out, Setting{Key: "CELERY_BROKER_URL", Value: redisDBURL(ep, redisBroker), Secret: true})
			}
			return out
		},
	},
}
