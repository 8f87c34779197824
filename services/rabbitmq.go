package services

var _ = register(&Service{
	Name:  "rabbitmq",
	Order: 30,
	Image: "rabbitmq:3-management",
	Ports: []Port{
		{Name: "amqp", Container: 5672, Host: 5872},
		{Name: "management", Container: 15672, Host: 15872},
	},
})
